"""fx-desktop: the town enforcement desktop client. `fx_desktop.__version__` is the installed distribution's
version, read on first use (importlib.metadata costs start-up time that most runs do not need)."""


def __getattr__(name: str):
    if name == "__version__":
        from importlib import metadata

        try:
            return metadata.version("fx-desktop")
        except metadata.PackageNotFoundError:  # a source tree that was never installed
            return "0+unknown"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
