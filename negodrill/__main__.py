"""`python -m negodrill`: the window by default, subcommands for the terminal."""

from negodrill.cli import entry_point

if __name__ == "__main__":
    entry_point()
