#!/usr/bin/env python
import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tieju.settings")
    # A checkout is a development machine: manage.py defaults to DEBUG on so it works without an
    # environment. Servers load their environment file (DEBUG=false, see .env.example), and gunicorn
    # (tieju/wsgi.py) keeps the production default; `check --deploy` fails if DEBUG were left on.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
