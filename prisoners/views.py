from django.shortcuts import render
from django.utils import timezone

from .querysets import recognized_held_count


def home(request):
    today = timezone.localdate()
    return render(
        request,
        "prisoners/home.html",
        {"today": today, "held_now": recognized_held_count(today)},
    )
