"""Everything that talks to Label Studio: the HTTP client (the only code importing label_studio_sdk or httpx), the embedded server's lifecycle, the ML backend and the browser check."""
