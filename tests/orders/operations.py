"""GraphQL documents shared by the order tests."""

from tests.checkout.operations import ERRORS, ORDER_FIELDS

SELLER_ORDER_FIELDS = """
fragment SellerOrderFields on SellerOrder {
  id orderNumber status createdAt seller { id }
  subtotal { amount } deliveryFee { amount } total { amount } refunded { amount } commission { amount }
  deliveryMethodName deliveryKind trackingNumber cancelReason codStatus
  buyerName buyerPhone buyerEmail shippingAddress { fullName phone street commune { code } }
  lines { productName variantName sku quantity unitPrice { amount } total { amount } }
}
"""


def _seller_order_mutation(name: str, signature: str, arguments: str) -> str:
    return (
        SELLER_ORDER_FIELDS
        + f"""
mutation M({signature}) {{
  {name}({arguments}) {{ sellerOrder {{ ...SellerOrderFields }} {ERRORS} }}
}}
"""
    )


SELLER_ORDER_CONFIRM = _seller_order_mutation("sellerOrderConfirm", "$id: ID!", "id: $id")
SELLER_ORDER_FULFILL = _seller_order_mutation(
    "sellerOrderFulfill", "$id: ID!, $trackingNumber: String", "id: $id, trackingNumber: $trackingNumber"
)
SELLER_ORDER_CANCEL = _seller_order_mutation(
    "sellerOrderCancel", "$id: ID!, $reason: String!", "id: $id, reason: $reason"
)
SELLER_ORDER_COD_RECORD = _seller_order_mutation(
    "sellerOrderCodRecord", "$id: ID!, $status: String!, $amount: BigInt", "id: $id, status: $status, amount: $amount"
)
SELLER_ORDER_MARK_DELIVERED = _seller_order_mutation("sellerOrderMarkDelivered", "$id: ID!", "id: $id")
ORDER_REFUND = _seller_order_mutation(
    "orderRefund", "$id: ID!, $amount: BigInt, $reason: String!", "id: $id, amount: $amount, reason: $reason"
)

SELLER_ORDERS = (
    SELLER_ORDER_FIELDS
    + """
query SellerOrders($seller: ID!, $status: String, $first: Int, $after: String) {
  sellerOrders(seller: $seller, status: $status, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { ...SellerOrderFields } }
  }
}
"""
)

SELLER_BALANCE = """
query SellerBalance($seller: ID!) { sellerBalance(seller: $seller) { balance { amount } payoutAvailable { amount } } }
"""

ORDER_BY_TOKEN = (
    ORDER_FIELDS
    + """
query OrderByToken($token: String!) { orderByToken(token: $token) { ...OrderFields } }
"""
)

MY_ORDERS = (
    ORDER_FIELDS
    + """
query MyOrders($first: Int, $after: String) {
  me { orders(first: $first, after: $after) { totalCount pageInfo { hasNextPage } edges { node { ...OrderFields } } } }
}
"""
)
