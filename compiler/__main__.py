"""`python -m shipc`: the `ship` command, for when the script is not on PATH."""

from .entry import main

if __name__ == "__main__":
    main()
