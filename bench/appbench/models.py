"""The anchors' complaint-shaped model (``shared/anchor-bench/bare_django/complaints/models.py``).

No migration: ``bench/applications.py`` creates the table with the schema editor.
"""

from django.db import models


class Complaint(models.Model):
    tracking_number = models.CharField(max_length=24, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField()
    category = models.CharField(max_length=50)
    status = models.CharField(max_length=20, default="submitted", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    reporter_name = models.CharField(max_length=120)
    reporter_phone = models.CharField(max_length=20, blank=True)
    reporter_email = models.EmailField(blank=True)
    extra = models.JSONField(default=dict, blank=True)

    class Meta:
        app_label = "appbench"

    def __str__(self) -> str:
        return self.tracking_number
