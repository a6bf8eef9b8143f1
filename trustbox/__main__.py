"""Operator commands: ``python -m trustbox <command>`` (or the ``trustbox`` script)."""

import os
import sys


def main() -> None:
    # Everything this process writes (the SQLite database with its -wal and -shm files, the
    # secret key, backups) is for its owner only: SQLite creates its files with the umask.
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "trustbox.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
