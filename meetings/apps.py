from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "meetings"

    def ready(self) -> None:
        from gds_portal.sections import Section, my_gds
        from meetings.views import my_gds_section

        my_gds.register(Section("My abstracts", "meetings/_my_gds.html", my_gds_section, order=20))
