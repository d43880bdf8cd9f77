"""Placeholder: being built (see the issue list)."""

import streamlit as st

st.title("methodology")
st.info("This page is being built.")
