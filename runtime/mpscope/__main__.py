"""``python -m mpscope``: the terminal launcher (see ``mpscope.launcher.cli``)."""

import sys

from mpscope.launcher.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
