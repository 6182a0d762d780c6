app_name = "crrg"
urlpatterns: list = []
