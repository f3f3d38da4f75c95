from django.contrib import admin

from mains.kb.models import Article


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "topic", "active", "updated_at"]
    list_filter = ["topic", "active"]
    search_fields = ["title", "keywords", "body"]
