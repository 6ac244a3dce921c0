from django.http import Http404, HttpRequest, HttpResponse


def track(request: HttpRequest) -> HttpResponse:  # replaced by the tracking page
    raise Http404
