from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("prisoners.api.urls")),
    path("", include("prisoners.urls")),
]

# A database error outside a view also answers the 503 page.
handler500 = "tracker.middleware.server_error"
