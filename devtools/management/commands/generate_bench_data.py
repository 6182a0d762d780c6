from django.core.management.base import BaseCommand, CommandError

from bench.generate import generate


class Command(BaseCommand):
    help = (
        "Fill an EMPTY database with benchmark data (bench/generate.py); scale 1 ≈ 2,000 abstracts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=int, default=1, help="10 means ten times scale 1")
        parser.add_argument("--seed", type=int, default=2020, help="same seed, same data")

    def handle(self, *args, scale: int, seed: int, **options):
        from accounts.models import User

        if scale < 1:
            raise CommandError("--scale must be at least 1.")
        if User.objects.filter(email__endswith="@bench.gds.example.org").exists():
            raise CommandError("This database already holds bench data; use a fresh database.")

        def out(message: str, ending: str = "\n") -> None:
            self.stdout.write(message, ending=ending)
            self.stdout.flush()

        generate(scale=scale, seed=seed, out=out)
