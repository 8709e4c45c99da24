"""Orgs added below divisions (村团组织, 直属团组织), written straight to the DB.

Tests of the add-child rules go through the service; this factory only fills a
township with many children for list and query-count tests.
"""
import factory

from qingnong.org.models import Org, OrgLevel


class ChildOrgFactory(factory.django.DjangoModelFactory):
    """Pass parent=<township>; name and path are unique per sequence number."""

    class Meta:
        model = Org

    name = factory.Sequence(lambda n: f"第{n}号村团支部")
    level = OrgLevel.VILLAGE
    depth = factory.LazyAttribute(lambda o: o.parent.depth + 1)
    path = factory.LazyAttributeSequence(lambda o, n: f"{o.parent.path}nf{n}/")
