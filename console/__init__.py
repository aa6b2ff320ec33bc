"""The application: services per area, the access policy, sign-in, settings and the command line."""
