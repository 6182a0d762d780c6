from django.apps import AppConfig


class CommunityConfig(AppConfig):
    name = "community"
    verbose_name = "People and units"

    def ready(self):
        from community.models import Person, Unit
        from community.search import PersonSearch
        from gds_portal.pagecache import public_models
        from gds_portal.search import registry

        registry.register(PersonSearch())
        public_models.register(Person, Unit)
