"""Order mutations: one module per mutation."""

import graphene

from storefront_api.orders.mutations.order_payment_retry import OrderPaymentRetry
from storefront_api.orders.mutations.order_refund import OrderRefund
from storefront_api.orders.mutations.seller_order_cancel import SellerOrderCancel
from storefront_api.orders.mutations.seller_order_cod_record import SellerOrderCodRecord
from storefront_api.orders.mutations.seller_order_confirm import SellerOrderConfirm
from storefront_api.orders.mutations.seller_order_fulfill import SellerOrderFulfill
from storefront_api.orders.mutations.seller_order_mark_delivered import SellerOrderMarkDelivered
from storefront_api.orders.mutations.seller_payout_record import SellerPayoutRecord


class OrderMutations(graphene.ObjectType):
    seller_order_confirm = SellerOrderConfirm.Field(required=True)
    seller_order_fulfill = SellerOrderFulfill.Field(required=True)
    seller_order_cancel = SellerOrderCancel.Field(required=True)
    seller_order_cod_record = SellerOrderCodRecord.Field(required=True)
    seller_order_mark_delivered = SellerOrderMarkDelivered.Field(required=True)
    order_refund = OrderRefund.Field(required=True)
    order_payment_retry = OrderPaymentRetry.Field(required=True)
    seller_payout_record = SellerPayoutRecord.Field(required=True)
