"""Publishes one structured article as PDF, EPUB and HTML editions in several languages.

The stages live in sub-packages named after them: ``load`` reads ``content/<lang>/`` into the
model, ``check`` finds problems in it, ``render`` turns it into editions, ``write`` puts the
editions in place and records them. ``pipeline.build`` runs them in that order.
"""
