"""User-facing errors: raised with a message that names the file, line, task or URL at fault.

Commands catch NisbaError, print its message (never a token) and exit non-zero.
"""


class NisbaError(Exception):
    """An error whose message is meant for the person running the command."""

    exit_code = 1
