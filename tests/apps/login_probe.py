"""A bare page for the sign-in tests (tests/test_oidc_tokens.py): Streamlit's own st.login/st.logout and what
st.user holds, as plain text."""

import streamlit as st

if st.user.is_logged_in:
    st.text(f"sub: {st.user.get('sub')}")
    st.text(f"name: {st.user.get('name')}")
    st.text(f"email: {st.user.get('email')}")
    if st.button("Sign out"):
        st.logout()
else:
    if st.button("Sign in"):
        st.login()
