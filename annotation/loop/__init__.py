"""The loop back to annotators: the push plan and run, active learning and the loop report."""
