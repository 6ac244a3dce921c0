"""The demo content: one regency public service mall (MPP Kabupaten Banyumas), as plain data.

Facts about fees and times are written conservatively and always with their legal basis; they
are demo content, not an official service standard.
"""
