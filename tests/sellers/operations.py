"""GraphQL operations used by the seller tests."""

SELLER_FIELDS = """
  id slug name kind status description phone address taxCode statusReason commissionRateBp
  commune { id name province { name } }
  payoutAccount { bankBin accountNumber accountName }
"""

SELLER_APPLY = f"""
mutation Apply($input: SellerApplyInput!) {{
  sellerApply(input: $input) {{ seller {{ {SELLER_FIELDS} }} errors {{ field code message }} }}
}}
"""

SELLER_APPROVE = f"""
mutation Approve($id: ID!, $note: String) {{
  sellerApprove(id: $id, note: $note) {{ seller {{ {SELLER_FIELDS} }} errors {{ field code message }} }}
}}
"""

SELLER_REJECT = f"""
mutation Reject($id: ID!, $reason: String!) {{
  sellerReject(id: $id, reason: $reason) {{ seller {{ {SELLER_FIELDS} }} errors {{ field code message }} }}
}}
"""

SELLER_SUSPEND = f"""
mutation Suspend($id: ID!, $reason: String!) {{
  sellerSuspend(id: $id, reason: $reason) {{ seller {{ {SELLER_FIELDS} }} errors {{ field code message }} }}
}}
"""

SELLER_REINSTATE = f"""
mutation Reinstate($id: ID!, $note: String) {{
  sellerReinstate(id: $id, note: $note) {{ seller {{ {SELLER_FIELDS} }} errors {{ field code message }} }}
}}
"""

SELLERS = """
query Sellers($first: Int, $after: String, $filter: SellerFilter) {
  sellers(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id name slug kind status commune { name province { name } } } }
  }
}
"""

SELLER = f"""
query Seller($id: ID, $slug: String) {{
  seller(id: $id, slug: $slug) {{
    {SELLER_FIELDS}
    households {{ id name phone commune {{ name }} }}
    documents {{ id kind contentType size }}
    staff {{ email role }}
  }}
}}
"""

STAFF_INVITE = """
mutation Invite($seller: ID!, $email: String!) {
  sellerStaffInvite(seller: $seller, email: $email) {
    invitation { id email role expiresAt }
    errors { field code message }
  }
}
"""

INVITATION_ACCEPT = """
mutation Accept($token: String!) {
  sellerInvitationAccept(token: $token) { seller { id name } errors { field code message } }
}
"""

HOUSEHOLD_ADD = """
mutation AddHousehold($seller: ID!, $input: SellerHouseholdInput!) {
  sellerHouseholdAdd(seller: $seller, input: $input) {
    household { id name phone commune { name } }
    errors { field code message }
  }
}
"""

DOCUMENT_UPLOAD = """
mutation Upload($seller: ID!, $kind: String!, $file: Upload!) {
  sellerDocumentUpload(seller: $seller, kind: $kind, file: $file) {
    document { id kind contentType size fileName }
    errors { field code message }
  }
}
"""

AUDIT_LOG = """
query Audit($target: ID, $first: Int) {
  auditLog(target: $target, first: $first) {
    totalCount
    edges { node { id action actorEmail reason statusBefore statusAfter targetType targetId createdAt } }
  }
}
"""
