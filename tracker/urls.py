from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.http import require_safe

from prisoners.admin.imports import import_urls
from prisoners.admin.quality import quality_urls
from prisoners.public import views

from .admin_language import choose_language

urlpatterns = [
    # The CSV import and the data-quality page live under the admin's prefix,
    # before the admin's own URLs.
    path("admin/", include(import_urls(admin.site))),
    path("admin/", include(quality_urls(admin.site))),
    path("admin/language/", choose_language, name="admin_language"),
    path("admin/", admin.site.urls),
    path("api/", include("prisoners.api.urls")),
    path("robots.txt", require_safe(views.robots_txt), name="robots"),
]
# English at the contract URLs; Belarusian and Russian under /be/ and /ru/.
urlpatterns += i18n_patterns(
    path("", include("prisoners.public.urls")), prefix_default_language=False
)

# Error pages in the page's language and style (a database error outside a
# view also answers the 503 page).
handler400 = "tracker.middleware.bad_request"
handler404 = "tracker.middleware.page_not_found"
handler500 = "tracker.middleware.server_error"
