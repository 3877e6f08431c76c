-- placeholder: replaced by the owner of this migration
SELECT 1;
