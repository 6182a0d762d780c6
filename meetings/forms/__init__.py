"""The meetings forms: abstracts, nominations, and the Program committee's."""
