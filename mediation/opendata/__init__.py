"""The directory as open data in the shapes others read: Open Referral HSDS 3.0, a DCAT-AP
catalogue and a Frictionless data package. Builders only: the routes live in the blueprints."""
