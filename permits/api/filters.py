import django_filters

from permits.models import Application


class ApplicationFilter(django_filters.FilterSet):
    service = django_filters.CharFilter(field_name="service__code")

    class Meta:
        model = Application
        fields = {"status": ["exact"], "submitted_at": ["gte", "lte"]}
