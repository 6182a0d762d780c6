from django.urls import path

from ombudsman import views

app_name = "ombudsman"
urlpatterns = [
    path("", views.home, name="home"),
    path("concern/", views.raise_concern, name="raise"),
    path("concern/address/", views.verify_address, name="verify_address"),
    path("case/", views.check_case, name="check"),
    path("my/", views.my_cases, name="my_cases"),
    path("my/<str:case_code>/", views.my_case, name="my_case"),
    path("cases/", views.cases, name="cases"),
    path("cases/log/", views.access_log, name="log"),
    path("cases/retention/", views.retention, name="retention"),
    path("cases/<str:case_code>/", views.case, name="case"),
    path("cases/<str:case_code>/status/", views.case_status, name="case_status"),
]
