"""grader: grade a folder of submissions against a YAML problem, every run in a locked-down
Docker container, with JSON reports and pytest-style exit codes."""

__version__ = "0.1.0"

__all__ = ["__version__"]
