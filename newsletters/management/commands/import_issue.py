from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsletters.importer import ImportFolderError, import_issue


class Command(BaseCommand):
    help = (
        "Create or update a newsletter issue from a folder of Markdown files with front "
        "matter (issue.md plus one file per article; see docs/newsletters.md). "
        "Idempotent; on any error it names the file and writes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        try:
            result = import_issue(folder=folder)
        except ImportFolderError as error:
            raise CommandError(f"Nothing imported. {error}") from None
        state = result.issue.get_status_display().lower()
        if result.nothing_changed:
            self.stdout.write(f"Nothing changed: issue “{result.issue}” ({state}) is as imported.")
            return
        verb = "Created" if result.created else "Updated"
        self.stdout.write(
            self.style.SUCCESS(
                f"{verb} issue “{result.issue}” ({state}): "
                f"{result.articles_created} article(s) created, {result.articles_updated} "
                f"updated, {result.articles_unchanged} unchanged, "
                f"{result.articles_removed} removed."
            )
        )
