"""GraphQL documents shared by the checkout tests."""

CHECKOUT_FIELDS = """
fragment CheckoutFields on Checkout {
  id token email isCompleted reservedUntil
  lines {
    id quantity productName reservedUntil
    unitPrice { amount currency }
    total { amount currency }
    variant { id sku name quantityAvailable price { amount } }
  }
  deliveryGroups {
    seller { id name }
    subtotal { amount }
    methods { id name kind price { amount } }
    selectedMethod { id name price { amount } }
  }
  shippingAddress { fullName phone street commune { id code name } }
  subtotal { amount currency }
  deliveryTotal { amount }
  total { amount }
  availableGateways { id name }
}
"""

ERRORS = "errors { field code message }"

CHECKOUT_CREATE = (
    CHECKOUT_FIELDS
    + f"""
mutation CheckoutCreate($lines: [CheckoutLineInput!]!, $email: String) {{
  checkoutCreate(lines: $lines, email: $email) {{ checkout {{ ...CheckoutFields }} {ERRORS} }}
}}
"""
)

CHECKOUT_LINES_ADD = (
    CHECKOUT_FIELDS
    + f"""
mutation CheckoutLinesAdd($id: ID!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesAdd(id: $id, lines: $lines) {{ checkout {{ ...CheckoutFields }} {ERRORS} }}
}}
"""
)

CHECKOUT_LINES_UPDATE = (
    CHECKOUT_FIELDS
    + f"""
mutation CheckoutLinesUpdate($id: ID!, $lines: [CheckoutLineInput!]!) {{
  checkoutLinesUpdate(id: $id, lines: $lines) {{ checkout {{ ...CheckoutFields }} {ERRORS} }}
}}
"""
)

CHECKOUT_LINE_DELETE = (
    CHECKOUT_FIELDS
    + f"""
mutation CheckoutLineDelete($id: ID!, $lineId: ID!) {{
  checkoutLineDelete(id: $id, lineId: $lineId) {{ checkout {{ ...CheckoutFields }} {ERRORS} }}
}}
"""
)

CHECKOUT_ADDRESS = (
    CHECKOUT_FIELDS
    + f"""
mutation CheckoutShippingAddressUpdate($id: ID!, $address: AddressInput!) {{
  checkoutShippingAddressUpdate(id: $id, address: $address) {{ checkout {{ ...CheckoutFields }} {ERRORS} }}
}}
"""
)

CHECKOUT_DELIVERY = (
    CHECKOUT_FIELDS
    + f"""
mutation CheckoutDeliveryMethodUpdate($id: ID!, $seller: ID!, $method: ID!) {{
  checkoutDeliveryMethodUpdate(id: $id, seller: $seller, method: $method) {{
    checkout {{ ...CheckoutFields }}
    {ERRORS}
  }}
}}
"""
)

ORDER_FIELDS = """
fragment OrderFields on Order {
  id number token status paymentStatus gateway createdAt email
  subtotal { amount } deliveryTotal { amount } total { amount currency }
  shippingAddress { fullName phone street commune { code } }
  payments { id gateway status amount { amount } action { kind url qrPayload clientSecret } }
  sellerOrders {
    id orderNumber status createdAt seller { id name }
    subtotal { amount } deliveryFee { amount } total { amount } commission { amount }
    deliveryMethodName trackingNumber cancelReason codStatus
    buyerName buyerPhone shippingAddress { fullName street }
    lines { productName variantName sku quantity unitPrice { amount } total { amount } }
  }
}
"""

CHECKOUT_COMPLETE = (
    ORDER_FIELDS
    + f"""
mutation CheckoutComplete($id: ID!, $gateway: String!, $returnUrl: String) {{
  checkoutComplete(id: $id, gateway: $gateway, returnUrl: $returnUrl) {{
    order {{ ...OrderFields }}
    payment {{ id gateway status amount {{ amount }} action {{ kind url qrPayload clientSecret }} }}
    {ERRORS}
  }}
}}
"""
)

CHECKOUT = (
    CHECKOUT_FIELDS
    + """
query Checkout($id: ID!) { checkout(id: $id) { ...CheckoutFields } }
"""
)

PRODUCT_AVAILABILITY = """
query Product($id: ID) { product(id: $id) { variants { id quantityAvailable } } }
"""
