from django.urls import path

from community import views

app_name = "community"
urlpatterns = [
    path("<slug:slug>/", views.person_detail, name="person"),
]
