"""gunicorn settings for linli: `gunicorn -c python:linli.gunicorn_conf linli.wsgi`."""

# Access log without query strings or referrers: they may carry personal data.
accesslog = "-"
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms'
