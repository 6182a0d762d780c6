app_name = "newsletters"
urlpatterns: list = []
