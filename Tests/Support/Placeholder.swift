import AmigoAWS
