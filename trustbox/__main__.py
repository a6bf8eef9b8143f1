"""Operator commands: ``python -m trustbox <command>`` (or the ``trustbox`` script)."""

import os
import sys

PROGRAM = "python -m trustbox"


def main() -> None:
    # Everything this process writes (the SQLite database with its -wal and -shm files, the
    # secret key, backups) is for its owner only: SQLite creates its files with the umask.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
    from trustbox.core.commandline import TrustBoxUtility

    # The program's own name in every usage line (Django would say "python -m django").
    called = os.path.basename(sys.argv[0])
    program = PROGRAM if called in ("__main__.py", "") else called
    TrustBoxUtility([program, *sys.argv[1:]]).execute()


if __name__ == "__main__":
    main()
