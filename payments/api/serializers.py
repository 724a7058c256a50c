"""Input serializers only validate; output serializers are read-only."""

from rest_framework import serializers

from payments.choices import BuildingFunction, RefundReason
from payments.gateways.protocol import MAX_AMOUNT
from payments.models import Bill, FeeRule, GatewayCallback, Payment, Refund


class FeeRuleOutputSerializer(serializers.ModelSerializer):
    service = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = FeeRule
        fields = [
            "service",
            "kind",
            "fixed_amount",
            "unit_price_idr_per_m2",
            "locality_index",
            "integrated_indices",
            "built_index",
            "exemptions",
            "description",
            "description_en",
            "status",
            "basis",
            "confirmed_at",
        ]
        read_only_fields = fields


class PaymentOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = [
            "uuid",
            "amount",
            "channel",
            "gateway_transaction_id",
            "paid_at",
            "reference",
        ]
        read_only_fields = fields


class BillOutputSerializer(serializers.ModelSerializer):
    application = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    reference = serializers.CharField(source="application.reference", read_only=True)
    replaces = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    payment = serializers.SerializerMethodField()

    class Meta:
        model = Bill
        fields = [
            "uuid",
            "application",
            "reference",
            "billing_code",
            "amount",
            "due_at",
            "status",
            "assessment",
            "paid_at",
            "replaces",
            "payment",
            "created_at",
        ]
        read_only_fields = fields

    def get_payment(self, bill) -> dict | None:
        payment = getattr(bill, "payment", None) if bill.status == "paid" else None
        return PaymentOutputSerializer(payment).data if payment else None


class BillIssueInputSerializer(serializers.Serializer):
    application = serializers.UUIDField()
    step = serializers.IntegerField()
    seen_version = serializers.IntegerField(required=False, allow_null=True)
    floor_area_m2 = serializers.DecimalField(
        max_digits=10, decimal_places=2, required=False, allow_null=True
    )
    building_function = serializers.ChoiceField(
        choices=BuildingFunction.choices, required=False, allow_blank=True
    )
    exemption = serializers.CharField(required=False, allow_blank=True, max_length=40)
    note = serializers.CharField(required=False, allow_blank=True)


class ManualConfirmInputSerializer(serializers.Serializer):
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT)
    paid_at = serializers.DateTimeField()
    reference = serializers.CharField(max_length=64)
    evidence = serializers.FileField()
    note = serializers.CharField(required=False, allow_blank=True)


class RefundOutputSerializer(serializers.ModelSerializer):
    payment = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    billing_code = serializers.CharField(source="payment.bill.billing_code")

    class Meta:
        model = Refund
        fields = [
            "uuid",
            "payment",
            "billing_code",
            "amount",
            "reason",
            "note",
            "status",
            "decided_at",
            "decision_note",
            "created_at",
        ]
        read_only_fields = fields

    #: Written for the deciding officer and the audit, not for the applicant.
    INTERNAL_FIELDS = ("note", "decision_note")

    def to_representation(self, instance):
        """The applicant gets the refund without ``note`` and
        ``decision_note`` (as on the HTML page)."""
        data = super().to_representation(instance)
        request = self.context.get("request")
        user_pk = getattr(getattr(request, "user", None), "pk", None)
        if user_pk == instance.payment.bill.application.applicant_id:
            for field in self.INTERNAL_FIELDS:
                data.pop(field, None)
        return data


class RefundRequestInputSerializer(serializers.Serializer):
    payment = serializers.UUIDField()
    amount = serializers.IntegerField(min_value=1, max_value=MAX_AMOUNT)
    reason = serializers.ChoiceField(choices=RefundReason.choices)
    note = serializers.CharField()


class RefundDecisionInputSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True)


class CallbackOutputSerializer(serializers.ModelSerializer):
    bill = serializers.SlugRelatedField(slug_field="uuid", read_only=True)

    class Meta:
        model = GatewayCallback
        fields = [
            "id",
            "received_at",
            "outcome",
            "transaction_id",
            "billing_code",
            "amount",
            "bill",
            "remote_addr",
            "detail",
        ]
        read_only_fields = fields


class GatewayAnswerSerializer(serializers.Serializer):
    outcome = serializers.CharField()
    detail = serializers.CharField()
