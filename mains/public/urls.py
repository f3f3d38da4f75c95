from django.urls import path

from mains.public import views

app_name = "public"
urlpatterns = [
    # The notice boards' QR codes point at this address: keep it as it is.
    path("c/<int:pk>/", views.community, name="community"),
    path("c/<int:pk>/reported/", views.reported, name="reported"),
    path("track/", views.track, name="track"),
]
