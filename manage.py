#!/usr/bin/env python
import os
import sys
from pathlib import Path


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tieju.settings")
    # The environment decides, DEBUG included (off unless set). A checkout's .env, which `make run`
    # writes on first use with DEBUG=true, fills in what the environment leaves unset, so
    # `python manage.py …` works there as the README shows; servers load their environment file.
    from dotenv import load_dotenv

    load_dotenv(os.environ.get("TIEJU_ENV_FILE") or Path(__file__).resolve().parent / ".env", override=False)
    from django.conf import settings
    from django.core.management import execute_from_command_line

    # Settings that refuse to load (no SECRET_KEY with DEBUG off…) stop every command here with their own
    # message; Django's command runner would otherwise carry on and fail later with AppRegistryNotReady.
    settings.INSTALLED_APPS  # noqa: B018

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
