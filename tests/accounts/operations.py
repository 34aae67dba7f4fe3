"""GraphQL documents shared by the account tests."""

USER_FIELDS = "id email fullName phone isProvinceAdmin preferredLanguage"

ME = f"query {{ me {{ {USER_FIELDS} }} }}"

ACCOUNT_REGISTER = f"""
mutation Register($input: AccountRegisterInput!) {{
  accountRegister(input: $input) {{
    user {{ {USER_FIELDS} }}
    errors {{ field code message }}
  }}
}}
"""

TOKEN_CREATE = f"""
mutation SignIn($email: String!, $password: String!) {{
  tokenCreate(email: $email, password: $password) {{
    token
    refreshToken
    user {{ {USER_FIELDS} }}
    errors {{ field code message }}
  }}
}}
"""

TOKEN_REFRESH = """
mutation Refresh($refreshToken: String!) {
  tokenRefresh(refreshToken: $refreshToken) {
    token
    errors { field code message }
  }
}
"""

PASSWORD_CHANGE = """
mutation ChangePassword($old: String!, $new: String!) {
  passwordChange(oldPassword: $old, newPassword: $new) {
    user { email }
    token
    refreshToken
    errors { field code message }
  }
}
"""

PASSWORD = "Mật-khẩu-dài-2025"
