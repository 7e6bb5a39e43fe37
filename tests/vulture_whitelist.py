"""Names vulture cannot see used: entry points that a framework calls (tests/project/test_dead_code.py).

Only framework entry points belong here: Flask routes and hooks, Dash callbacks and overrides, Typer commands,
pydantic configuration and validators, Alembic revision variables, gunicorn settings, pytest and HTMLParser
hooks, and parameters a Protocol spells out for its implementations.
"""
# ruff: noqa: B018, F821

# Flask routes, error handlers and request hooks (app/web/api.py, app/web/guards.py, app/web/security.py)
_.view_data
_.download
_.download_all
_.openapi
_.health
_.database_unavailable
_.refuse_early
_.add_headers
_.answer_from_etag  # app/web/caching/http_cache.py
_.answer_from_store  # app/web/caching/callbacks.py
_.keep_answer
_.add_cache_headers
_.refuse_large_bodies  # app/web/bodies.py
_.too_large_body
_.nested_too_deeply
_.request_class  # Flask setting: the request class of the app (app/web/bodies.py)
_.sort_keys  # flask.json provider setting
_.create  # decks: app/decks/api.py, app/decks/pages.py, app/decks/follow.py
_.move_presenter
_.deck_default
_.deck_page
_.present_entry
_.deck_yaml
_.follow_default
_.follow_in
_.own_methods  # app/decks/api.py: the deck API's OPTIONS answer and bad bodies
_.bad_body
_.deck_file  # app/decks/pptx/routes.py
_.view_file
_.not_found_anywhere  # app/web/api.py

# Dash callbacks (registered by decorator) and Dash internals the app overrides (app/factory.py)
_.follow
_.slide_image  # app/decks/slides/routes.py
_.update_waves
_.update_results
_.echo  # tests/fixtures/pages/response_rates (the test page's callback)
_._setup_plotlyjs
_._plotlyjs_url

# parameters of CacheBackend.set that implementations receive (app/data/db.py)
_.timeout

# Typer commands and callbacks (barometer/cli.py)
_._main
_.deck_export
_.deck_offline
_.offline_deck  # app/decks/slides/routes.py
_.deck_import
_.db_upgrade
_.db_url
_.db_stop
_.db_grant_readonly
_.codebook_check
_.demo_generate
_.up
_.fetch_statbank
_.fetch_pxweb

# http.server request handler hooks of the stand-in server (tests/etl/test_official_fetch.py)
_.do_GET
_.do_POST
_.log_message

# export commands (barometer/cli.py)
_.export_aggregates
_.export_microdata_command

# pydantic model configuration and validators (etl/codebook.py, etl/demo/spec.py)
_.model_config
_._known_encoding
_._one_level_source
_._one_shape
_.cls

# Alembic revision identifiers (migrations/versions)
_.down_revision
_.branch_labels
_.depends_on

# gunicorn settings read from the config module (benchmarks/gunicorn_bench.py)
_.accesslog
_.control_socket_disable
_.QueueTimedWorker  # the worker class gunicorn imports by name (app/web/queue_worker.py: WORKER_CLASS)

# pytest marks and html.parser.HTMLParser hooks (tests)
_.pytestmark
_.pytest_collection_modifyitems  # tests/conftest.py
_.handle_starttag
_.handle_data
_.handle_endtag

# pydantic validators of the catalogue models (etl/catalogue.py)
_._labelled
_._stratum_keys  # etl/codebook.py DesignSpec
_._a_real_fraction  # etl/codebook.py SamplingFraction
_.assumed  # etl/codebook.py SamplingFraction: what a demo design assumes, stated with the design (API, data package)


# python-pptx properties the PowerPoint files set and python-pptx writes into the file (app/decks/pptx)
_.reverse_order
_.crosses
_.gap_width
_.has_legend
_.include_in_layout
_.has_title
_.maximum_scale
_.minimum_scale
_.major_unit
_.has_major_gridlines
_.number_format
_.number_format_is_linked
_.slide_height
_.slide_width
_.word_wrap
_.margin_bottom
_.margin_top
_.alignment
