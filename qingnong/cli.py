"""The `qingnong` command: Django's management commands, with hyphenated names allowed.

`qingnong load-divisions 6108` runs the `load_divisions` command; `qingnong migrate`,
`qingnong runserver`, `qingnong createsuperuser` work as with manage.py.
"""
import os
import sys

from django.core.management import execute_from_command_line


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingnong.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    try:
        execute_from_command_line(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # `qingnong import-form … | head`: the reader left; end quietly, as cat does.
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(141)  # 128 + SIGPIPE, what a shell reports for a command cut off by a pipe


if __name__ == "__main__":
    main()
