"""Payments for fees (*retribusi* and PNBP): the payment-provider interface and a local simulator.

Pure library code for now (issue 4, section 7): no models, not an installed app. ``provider`` defines
the ``PaymentProvider`` protocol, the ``Bill`` and ``PaymentNotice`` values and the callback
signature scheme; ``simulator`` implements it without network access for development and tests.
The models that store bills and notices (with the unique constraint on
``PaymentNotice.provider_transaction_id`` that makes callbacks idempotent) come with the
applications work. See ``docs/payments.md``.
"""
