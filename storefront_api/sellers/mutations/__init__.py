"""Seller mutations: one module per mutation."""

import graphene

from storefront_api.sellers.mutations.seller_apply import SellerApply
from storefront_api.sellers.mutations.seller_approve import SellerApprove
from storefront_api.sellers.mutations.seller_commission_set import SellerCommissionSet
from storefront_api.sellers.mutations.seller_document_upload import SellerDocumentUpload
from storefront_api.sellers.mutations.seller_household_add import SellerHouseholdAdd
from storefront_api.sellers.mutations.seller_identity_review import SellerIdentityReview
from storefront_api.sellers.mutations.seller_identity_verify import SellerIdentityVerify
from storefront_api.sellers.mutations.seller_invitation_accept import SellerInvitationAccept
from storefront_api.sellers.mutations.seller_reinstate import SellerReinstate
from storefront_api.sellers.mutations.seller_reject import SellerReject
from storefront_api.sellers.mutations.seller_staff_invite import SellerStaffInvite
from storefront_api.sellers.mutations.seller_suspend import SellerSuspend


class SellerMutations(graphene.ObjectType):
    seller_apply = SellerApply.Field(required=True)
    seller_approve = SellerApprove.Field(required=True)
    seller_reject = SellerReject.Field(required=True)
    seller_suspend = SellerSuspend.Field(required=True)
    seller_reinstate = SellerReinstate.Field(required=True)
    seller_staff_invite = SellerStaffInvite.Field(required=True)
    seller_invitation_accept = SellerInvitationAccept.Field(required=True)
    seller_household_add = SellerHouseholdAdd.Field(required=True)
    seller_document_upload = SellerDocumentUpload.Field(required=True)
    seller_commission_set = SellerCommissionSet.Field(required=True)
    seller_identity_verify = SellerIdentityVerify.Field(required=True)
    seller_identity_review = SellerIdentityReview.Field(required=True)
