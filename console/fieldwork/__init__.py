"""Field work: call-outs, after-incident support, field visit safety, ethics and training records."""
