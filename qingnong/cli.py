"""The `qingnong` command: Django's management commands, with hyphenated names allowed.

`qingnong load-divisions 6108` runs the `load_divisions` command; `qingnong migrate`,
`qingnong runserver`, `qingnong createsuperuser` work as with manage.py.
"""
import os
import sys


def main(argv=None):
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qingnong.settings")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
