from functools import cache

import factory
from django.contrib.auth.hashers import make_password

from qingnong.accounts.models import Role, User

PASSWORD = "test-password-2014"


@cache
def password_hash():
    """Hashed once per run: hashing per user would make 40-user pages slow to set up."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    """Pass org=<Org>. Every user gets the password PASSWORD."""

    class Meta:
        model = User

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.Sequence(lambda n: f"测试用户{n}")
    role = Role.REPORTER
    password = factory.LazyFunction(password_hash)
