from django.core.management.base import BaseCommand, CommandError, CommandParser

from mains.api.models import ApiToken
from mains.api.tokens import create_token
from mains.org.models import User


class Command(BaseCommand):
    help = "Create, list or revoke API tokens (the key is printed once, at creation)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="verb", required=True)
        create = sub.add_parser("create", help="Create a token for a user and print its key.")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="What the token is for.")
        sub.add_parser("list", help="List tokens (never their keys).")
        revoke = sub.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options) -> None:
        verb = options["verb"]
        if verb == "create":
            try:
                user = User.objects.get(username=options["username"])
            except User.DoesNotExist as exc:
                raise CommandError(f"No user {options['username']!r}.") from exc
            token, key = create_token(user, options["name"])
            self.stderr.write(
                f"Token {token.pk} for {user.username}; keep the key, it is shown once:"
            )
            self.stdout.write(key)
        elif verb == "list":
            for token in ApiToken.objects.select_related("user"):
                state = "revoked" if token.revoked else "live"
                used = token.last_used.isoformat() if token.last_used else "never"
                self.stdout.write(
                    f"{token.pk}\t{token.user.username}\t{token.name}\t{token.prefix}…\t{state}\t{used}"
                )
        else:
            updated = ApiToken.objects.filter(pk=options["id"]).update(revoked=True)
            if not updated:
                raise CommandError(f"No token {options['id']}.")
            self.stdout.write(f"Token {options['id']} revoked.")
