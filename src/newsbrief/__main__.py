import sys

from newsbrief.cli import main

# Guarded: worker processes started with "spawn" (the service's pool) import this module again.
if __name__ == "__main__":
    sys.exit(main())
