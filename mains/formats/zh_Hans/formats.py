"""Number formats for Simplified Chinese, over Django's own (mains.settings FORMAT_MODULE_PATH).

Django's zh_Hans groups by four digits with no separator, so 1234567 shows as 1234567;
Chinese business and government documents write 1,234,567. Only what is grouped on
purpose (`|intcomma`) changes: USE_THOUSAND_SEPARATOR stays off, so ids, years, page
numbers and form values are never grouped.
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
