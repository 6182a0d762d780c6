from django.urls import path

from accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.my_gds, name="my_gds"),
    path("profile/", views.profile_edit, name="profile_edit"),
]
