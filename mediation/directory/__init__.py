"""The domain of the directory, without forms or requests.

Shared by all: `fields` (a service as one dictionary), `permissions` (who may touch what),
`audit` (every write), `demo` and `geocode_pending`. Then one folder per purpose: `reading/`,
`moderation/`, `exchange/`.
"""
